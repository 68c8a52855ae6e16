import autocannon from 'autocannon';
const url = process.argv[2];
const size = Number(process.argv[3] ?? 1);
const msg = (id) => ({ type: 'track', event: 'Product Viewed', messageId: id, anonymousId: 'anon-' + id, properties: { product_id: 'SKU-1', price: 19.99, currency: 'USD' }, context: { page: { url: 'https://shop.example.com/p/1?ScCid=bench-click' }, traits: { email: 'Jane.Doe@Example.com' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1' } });
let n = 0;
const r = await autocannon({ url: url + '/v1/batch', method: 'POST', connections: 50, duration: 4, headers: {'content-type':'text/plain'},
  requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ writeKey: 'wk_bench', batch: Array.from({length:size},(_, i)=>msg('p' + (n++) + '-' + i)) }) }) }] });
console.log(r.requests.average, r.non2xx, r.errors);
