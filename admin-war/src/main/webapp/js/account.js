'use strict';
let cardFormat = 'QR_CODE';

async function load() {
  const me = await Api.call('GET', 'me');
  $('#sign-in').classList.add('hidden');
  $('#account').classList.remove('hidden');
  $('#sign-out').classList.remove('hidden');
  $('#greeting').textContent = 'Hello ' + (me.firstName || '') + ' · ' + me.programme;
  $('#available').textContent = fmt(me.availablePoints) + ' points';
  $('#pending').textContent = me.pendingPoints > 0 ? fmt(me.pendingPoints) + ' points pending' : '';
  const progress = me.tierProgress;
  $('#tier').textContent = me.tier;
  $('#next-tier').textContent = progress.nextTier ? fmt(progress.needed) + ' points to ' + progress.nextTier + ' (by ' + progress.windowEnds + ')' : 'top tier';
  const target = progress.qualifyingPoints + progress.needed;
  $('#progress-bar').style.width = (progress.nextTier ? Math.min(100, 100 * progress.qualifyingPoints / Math.max(1, target)) : 100) + '%';
  $('#expiring').replaceChildren(...me.expiringPoints.slice(0, 3).map(e => el('li', {}, fmt(e.points) + ' points expire on ' + e.on)));
  const card = me.cards.find(c => c.status === 'ACTIVE');
  $('#card-number').textContent = card ? card.cardNumber : 'No active card';
  await showCard();
  const offers = await Api.call('GET', 'me/offers');
  $('#offers').replaceChildren(...(offers.length ? offers.map(o => el('li', {}, o.title, el('span', { class: 'muted' }, ' · until ' + new Date(o.expiresAt).toLocaleDateString('en-GB', { dateStyle: 'medium' }) + ', applied at the till when you show your card')))
    : [el('li', { class: 'muted' }, 'No offers right now')]));
  const consents = await Api.call('GET', 'me/consents');
  $('#consent-email').checked = consents.email; $('#consent-sms').checked = consents.sms; $('#consent-post').checked = consents.post;
  const history = await Api.call('GET', 'me/transactions?size=20');
  $('#history').replaceChildren(...history.items.map(line => el('tr', {},
    el('td', {}, when(line.occurredAt)), el('td', {}, label(line)), el('td', { class: 'num' }, (line.points > 0 ? '+' : '') + fmt(line.points)))));
  const claims = await Api.call('GET', 'me/claims');
  $('#claims').replaceChildren(...claims.map(c => el('li', {}, 'Receipt ' + c.receiptId + ': ' + c.status + (c.note ? ' (' + c.note + ')' : ''))));
}

function label(line) {
  const names = { EARN: 'Purchase', REDEEM: 'Points spent', RETURN_REVERSAL: 'Return', EXPIRY: 'Expired', ADJUSTMENT: 'Adjustment', MERGE_TRANSFER: 'Accounts merged', TIER_CHANGE: 'Tier change' };
  return (names[line.kind] || line.kind) + (line.storeId ? ' · ' + line.storeId : '') + (line.kind === 'TIER_CHANGE' ? ' · ' + line.reference : '');
}

async function showCard() {
  try { $('#card-image').src = await Api.blob('me/card.png?format=' + cardFormat); } catch (e) { $('#card-image').removeAttribute('src'); }
}

function fail(error) { show('#message', error.message, 'error'); }

document.addEventListener('DOMContentLoaded', () => {
  $('#sign-in-form').addEventListener('submit', async event => {
    event.preventDefault();
    try { await Api.signIn($('#email').value, $('#password').value); show('#message', 'Signed in', 'ok'); await load(); } catch (e) { fail(e); }
  });
  $('#show-register').addEventListener('click', () => { $('#register-form').classList.toggle('hidden'); });
  $('#register-form').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const joined = await Api.call('POST', 'auth/register', { email: $('#r-email').value, password: $('#r-password').value, firstName: $('#r-first').value, lastName: $('#r-last').value });
      sessionStorage.setItem('loyalty.token', joined.session.token);
      show('#message', 'Welcome! Your card number is ' + joined.cardNumber, 'ok');
      await load();
    } catch (e) { fail(e); }
  });
  $('#sign-out').addEventListener('click', () => { Api.signOut(); location.reload(); });
  document.querySelectorAll('[data-format]').forEach(b => b.addEventListener('click', async () => { cardFormat = b.dataset.format; await showCard(); }));
  $('#claim-form').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await Api.call('POST', 'me/claims', { storeId: $('#c-store').value, receiptId: $('#c-receipt').value, occurredAt: new Date($('#c-date').value).toISOString(), total: $('#c-total').value });
      show('#message', 'Claim sent: we will check the receipt', 'ok'); await load();
    } catch (e) { fail(e); }
  });
  $('#download').addEventListener('click', async () => {
    try { const link = el('a', { href: await Api.blob('me/export'), download: 'my-loyalty-data.json' }); document.body.append(link); link.click(); link.remove(); } catch (e) { fail(e); }
  });
  $('#consent-form').addEventListener('submit', async event => {
    event.preventDefault();
    try { await Api.call('PUT', 'me/consents', { email: $('#consent-email').checked, sms: $('#consent-sms').checked, post: $('#consent-post').checked }); show('#message', 'Your choices are saved', 'ok'); } catch (e) { fail(e); }
  });
  $('#close').addEventListener('click', async () => {
    if (!confirm('Close your account for good?')) return;
    try { await Api.call('DELETE', 'me', { password: $('#close-password').value }); Api.signOut(); show('#message', 'Your account is closed', 'ok'); $('#account').classList.add('hidden'); } catch (e) { fail(e); }
  });
  if (Api.signedIn()) load().catch(fail);
});
