/** The HTTP baseline: a bare node:http server under the same load, its idle RSS and CPU per request. */
import { checked, load } from "../lib/load.js";
import { cpuMs, rssMiB, startHello } from "../lib/procs.js";
import { sleep } from "../lib/util.js";

export async function benchHello(opts) {
  const hello = await startHello();
  try {
    await sleep(opts.settleMs);
    const idle = rssMiB(hello.pid);
    let before = 0;
    const r = checked(
      "hello",
      await load({
        url: hello.url,
        connections: 50,
        seconds: opts.seconds,
        warmupSeconds: opts.warmupSeconds,
        beforeMeasure: () => {
          before = cpuMs(hello.pid);
        },
      }),
    );
    const cpu = cpuMs(hello.pid) - before;
    return {
      ...r,
      cpu_ms_per_request: cpu / r.total,
      idle_rss_mib: idle,
      rss_after_load_mib: rssMiB(hello.pid),
    };
  } finally {
    await hello.stop();
  }
}
