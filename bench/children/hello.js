/** The baseline of the HTTP rows: node:http with nothing in it. */
import { createServer } from "node:http";

const body = Buffer.from("hello");
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
  res.end(body);
});
server.listen(Number(process.argv[2]), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
