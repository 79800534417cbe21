// The baseline: a bare node:http server answering a fixed JSON body of a customer's size.
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: 'cus_0000000000000000000000',
  object: 'customer',
  address: null,
  balance: 0,
  created: 1790000000,
  currency: null,
  email: 'jenny@example.com',
  invoice_settings: {
    custom_fields: null,
    default_payment_method: null,
    footer: null,
    rendering_options: null,
  },
  livemode: false,
  metadata: {},
  name: 'Jenny Rosen',
});
const port = Number(process.env.PORT ?? 4299);
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`bare server on ${port}`));
