// @ts-check
// The demo shop's own code. Tracking calls are marked "Datafirst:" — that is all a site adds.
(function () {
  'use strict';
  /** @typedef {{ product_id: string, name: string, price: number, brand: string, category: string }} Product */
  /** The catalogue (never empty). @type {Product[]} */
  var PRODUCTS = [
    { product_id: 'SKU-1', name: 'Trail running shoes', price: 89.99, brand: 'Acme', category: 'Shoes' },
    { product_id: 'SKU-2', name: 'Merino running socks', price: 14.5, brand: 'Acme', category: 'Socks' },
    { product_id: 'SKU-3', name: 'Waterproof shell jacket', price: 129, brand: 'Northline', category: 'Jackets' },
  ];
  var CART_KEY = 'shop.cart';

  /**
   * The element with this id: every id used here is in the page's HTML.
   * @param {string} id
   */
  function $(id) {
    return /** @type {HTMLElement} */ (document.getElementById(id));
  }
  function money(n) {
    return '$' + n.toFixed(2);
  }
  function findProduct(id) {
    return PRODUCTS.filter(function (p) {
      return p.product_id === id;
    })[0];
  }
  function cart() {
    try {
      return JSON.parse(localStorage.getItem(CART_KEY) || '[]') || [];
    } catch (e) {
      return [];
    }
  }
  function saveCart(items) {
    localStorage.setItem(CART_KEY, JSON.stringify(items));
  }
  function total(items) {
    return (
      Math.round(
        items.reduce(function (s, i) {
          return s + i.price * i.quantity;
        }, 0) * 100,
      ) / 100
    );
  }
  function asProperties(p, quantity) {
    return {
      product_id: p.product_id,
      name: p.name,
      price: p.price,
      brand: p.brand,
      category: p.category,
      quantity: quantity,
      currency: 'USD',
    };
  }
  // Keep the landing page's query (e.g. ?ScCid=…) on internal links, as real shops often do not:
  // the tag remembers the click id anyway.
  function link(href) {
    return href;
  }

  var page = document.body.getAttribute('data-page');

  if (page === 'home') {
    var list = $('products');
    PRODUCTS.forEach(function (p) {
      var item = document.createElement('li');
      var a = document.createElement('a');
      a.href = link('/product.html?id=' + encodeURIComponent(p.product_id));
      a.textContent = p.name;
      a.setAttribute('data-product', p.product_id);
      item.appendChild(a);
      item.appendChild(document.createTextNode(' — ' + money(p.price)));
      list.appendChild(item);
    });
  }

  if (page === 'product') {
    var product = findProduct(new URLSearchParams(location.search).get('id')) || /** @type {Product} */ (PRODUCTS[0]);
    $('name').textContent = product.name;
    $('price').textContent = money(product.price);
    $('brand').textContent = product.brand;
    // Datafirst: a product view
    _df.track('Product Viewed', asProperties(product, 1));
    $('add').addEventListener('click', function () {
      var items = cart();
      var line = items.filter(function (i) {
        return i.product_id === product.product_id;
      })[0];
      if (line) line.quantity += 1;
      else items.push(asProperties(product, 1));
      saveCart(items);
      // Datafirst: added to cart
      _df.track('Product Added', asProperties(product, 1));
      location.href = '/cart.html';
    });
  }

  if (page === 'cart') {
    var items = cart();
    var lines = $('lines');
    items.forEach(function (i) {
      var li = document.createElement('li');
      li.textContent = i.quantity + ' × ' + i.name + ' — ' + money(i.price * i.quantity);
      lines.appendChild(li);
    });
    $('total').textContent = money(total(items));
    /** @type {HTMLButtonElement} */ ($('checkout')).disabled = items.length === 0;
    $('checkout').addEventListener('click', function () {
      location.href = '/checkout.html';
    });
  }

  if (page === 'checkout') {
    var checkoutItems = cart();
    $('total').textContent = money(total(checkoutItems));
    // Datafirst: checkout started
    _df.track('Checkout Started', { value: total(checkoutItems), currency: 'USD', products: checkoutItems });
    $('checkout-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var email = /** @type {HTMLInputElement} */ ($('email')).value;
      var orderId = 'ORD-' + Date.now().toString(36).toUpperCase();
      // Datafirst: who bought (hashed by the server before anything leaves it), then the purchase.
      _df.identify({ email: email });
      _df.track('Order Completed', {
        order_id: orderId,
        revenue: total(checkoutItems),
        currency: 'USD',
        products: checkoutItems,
      });
      saveCart([]);
      location.href = '/thanks.html?order=' + encodeURIComponent(orderId);
    });
  }

  if (page === 'thanks') {
    $('order').textContent = new URLSearchParams(location.search).get('order') || '';
  }
})();
