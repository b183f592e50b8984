#!/bin/sh
# Foyer's entry point, in the container (deploy/Dockerfile) and on a plain machine
# (deploy/foyer.service, docs/deploy.md): bring the schema up to date, then serve.
# Arguments go to `foyer start`, e.g. `--workers 4`.
#
# `foyer migrate` runs on its own first so that a deploy whose migration fails stops here with
# the migration's error, and a database newer than this code is refused before anything serves.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
foyer="$here/../packages/server/bin/foyer.js"

node "$foyer" migrate
# exec: Foyer becomes this process, so SIGTERM from docker stop or systemd reaches it directly
# and it finishes in-flight requests before exiting.
exec node "$foyer" start "$@"
