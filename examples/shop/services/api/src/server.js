import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);

export const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  res.writeHead(404).end();
});

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  server.listen(port, () => console.log(JSON.stringify({ level: 'info', message: `listening on ${port}` })));
}
