'use strict';
let cardFormat = 'QR_CODE';
let cardNumber = null;
// The programme's time zone (GET /me): the days and times shown are the programme's, whatever the browser's zone.
let zone;
const HISTORY_SIZE = 20;
// The history as last shown: the ledger's number of entries then, and the entries on the page.
let historyTotal = null;
let historyShown = new Set();
/** How many history pages were asked for: only the answer to the last is drawn. */
let historyAsked = 0;
/** The programme's stores' names by their ids: the history names the store, not its code. */
let storeNames = new Map();

/** The account; after a card was refused (reloaded), without asking for the barcode of a refused card again. */
async function load(reloaded) {
  const me = await Api.call('GET', 'me');
  zone = me.timeZone;
  $('#sign-in').classList.add('hidden');
  $('#account').classList.remove('hidden');
  $('#sign-out').classList.remove('hidden');
  $('#greeting').textContent = 'Hello ' + (me.firstName || '') + ' · ' + (me.programmeName || me.programme);
  // Days and times are the programme's: said once, for a customer reading from another zone.
  $('#history-zone').textContent = 'Times are ' + zone.replace(/^.*\//, '').replace(/_/g, ' ') + ' time (' + zone + ')';
  showSummary(me);
  // The newest active card (the list is oldest first), and the image asks for that very card.
  const active = me.cards.filter(c => c.status === 'ACTIVE');
  const card = active[active.length - 1];
  cardNumber = card ? card.cardNumber : null;
  $('#card-number').textContent = card ? card.cardNumber : 'No active card';
  await showCard(reloaded);
  const offers = await Api.call('GET', 'me/offers');
  $('#offers').replaceChildren(...(offers.length ? offers.map(o => el('li', {}, o.title, el('span', { class: 'muted' }, ' · until ', dayElement(lastDay(o.expiresAt)), ': show your card and ask the cashier for it when you pay')))
    : [el('li', { class: 'muted' }, 'No offers right now')]));
  showRewards(await Api.call('GET', 'me/rewards'));
  const consents = await Api.call('GET', 'me/consents');
  $('#consent-email').checked = consents.email; $('#consent-sms').checked = consents.sms; $('#consent-post').checked = consents.post;
  // The history names the stores; without their list (a failed call), it names their codes.
  const stores = await Api.call('GET', 'me/stores').catch(() => []);
  storeNames = new Map(stores.map(s => [s.storeId, s.name]));
  historyTotal = null;
  await loadHistory(0);
  showStores(stores);
  const storeName = storeNames;
  const claims = await Api.call('GET', 'me/claims');
  const status = c => ({ OPEN: 'being checked', APPROVED: 'approved' + (c.pointsCredited != null ? ': ' + fmt(c.pointsCredited) + ' points credited' : ''), REJECTED: 'not approved' })[c.status] || c.status.toLowerCase();
  $('#claims').replaceChildren(...claims.map(c => el('li', {}, 'Receipt ' + c.receiptId + ' at ' + (storeName.get(c.storeId) || c.storeId) + ' of ', dayElement(dayIn(c.occurredAt, zone)), ', sent ', dayElement(dayIn(c.createdAt, zone)), ': ' + status(c) + (c.note ? ' (' + c.note + ')' : ''))));
}

/** Points available, pending and expiring, the tier and the way to the next one. */
function showSummary(me) {
  $('#available').textContent = fmt(me.availablePoints) + ' points';
  // Below zero: points spent, then the purchase that earned them returned. Said, not left as a bare "-78".
  const owed = me.availablePoints < 0 ? 'You owe ' + fmt(-me.availablePoints) + ' points: a purchase whose points were spent was returned; your next purchases make them up' : '';
  $('#pending').textContent = [me.pendingPoints > 0 ? fmt(me.pendingPoints) + ' points pending' : '', owed].filter(Boolean).join(' · ');
  const progress = me.tierProgress;
  $('#tier').textContent = me.tier;
  // Enough qualifying points already (needed 0): the next tier comes with the next purchase, which moves members up.
  const toNext = progress.needed > 0 ? fmt(progress.needed) + ' points to ' + progress.nextTier : progress.nextTier + ' from your next purchase';
  // Qualifying points count for windowDays after each purchase: the tier is reached as soon as they add up (no
  // deadline but the day the oldest stop counting); the yearly review keeps or lowers the tier.
  const leaving = progress.nextLeaving;
  const leaves = leaving ? [' · ' + fmt(leaving.points) + ' of your ' + fmt(progress.qualifyingPoints) + ' qualifying points stop counting on ', dayElement(leaving.on), ' (purchases count for ' + progress.windowDays + ' days)'] : [];
  // Below the tier's threshold as the review will count (a purchase returned, points that stop counting before it):
  // what keeping the tier then takes.
  const keeping = progress.keeping && progress.keeping.needed > 0
    ? [' · to keep ' + progress.keeping.tier + ' then: ' + fmt(progress.keeping.needed) + ' more qualifying points'] : [];
  $('#next-tier').replaceChildren(...(progress.nextTier ? [toNext, ...leaves] : ['top tier']), ' · tier review on ', dayElement(progress.windowEnds), ...keeping);
  const target = progress.qualifyingPoints + progress.needed;
  const share = progress.nextTier ? Math.min(100, 100 * progress.qualifyingPoints / Math.max(1, target)) : 100;
  $('#progress-bar').style.width = share + '%';
  const bar = $('#progress-bar').parentElement;
  bar.setAttribute('aria-valuenow', Math.round(share));
  bar.setAttribute('aria-valuetext', progress.nextTier ? fmt(progress.qualifyingPoints) + ' of ' + fmt(target) + ' qualifying points for ' + progress.nextTier : 'top tier');
  // The three soonest dates, and the rest in one line: the list adds up to the points that expire.
  const soonest = me.expiringPoints.slice(0, 3);
  const later = me.expiringPoints.slice(3);
  const laterPoints = later.reduce((sum, e) => sum + e.points, 0);
  $('#expiring').replaceChildren(...soonest.map(e => el('li', {}, fmt(e.points) + ' points expire on ', dayElement(e.on))),
    ...(later.length ? [el('li', {}, fmt(laterPoints) + ' more points expire later, on ' + later.length + ' other day' + (later.length > 1 ? 's' : '') + ', the last on ', dayElement(later[later.length - 1].on))] : []));
}

/** What the points buy: a point's value, and each reward with whether it can be taken now, or what it needs. */
function showRewards(catalogue) {
  const hundred = (100 * Number(catalogue.pointValue)).toLocaleString('en-GB', { style: 'currency', currency: catalogue.currency });
  $('#point-value').textContent = '100 points are worth ' + hundred + ' at the till';
  $('#rewards').replaceChildren(...(catalogue.rewards.length ? catalogue.rewards.map(r => el('li', { 'data-reward': r.rewardId },
    r.name + ' · ' + fmt(r.points) + ' points',
    el('span', { class: 'muted' }, ' · ' + (r.available ? 'yours at the till: ask the cashier'
      : !r.inStock ? 'out of stock'
        : r.why === 'tier' || (!r.why && r.tier && catalogue.availablePoints >= r.points) ? 'for ' + r.tier + ' members'
        : r.why && r.why.startsWith('rule: ') ? 'not yet: ' + r.why.substring(6)
          : fmt(r.points - catalogue.availablePoints) + ' more points needed' + (r.tier ? ' (for ' + r.tier + ' members)' : '')),
    ...(r.validUntil ? [' · until ', dayElement(r.validUntil)] : []))))
    : [el('li', { class: 'muted' }, 'No rewards right now')]));
}

/** The claim's store, picked by its name among the programme's stores; typed, for a programme that lists none. */
function showStores(stores) {
  const current = $('#c-store');
  const chosen = current.value;
  const field = stores.length
    ? el('select', { id: 'c-store', required: '' }, el('option', { value: '' }, 'Choose the store on the receipt'),
      stores.map(s => el('option', { value: s.storeId }, s.name === s.storeId ? s.storeId : s.name + ' (' + s.storeId + ')')))
    : el('input', { id: 'c-store', required: '', placeholder: 'The store number on the receipt' });
  current.replaceWith(field);
  field.value = chosen;
}

/**
 * A page of the history, newest first. Entries recorded since the page before was shown (a sale, points spent) push
 * the older ones down: the points and tier above are then read again, and the entries of the page before that
 * come again at the top of this one are left out (the pager counts them as passed).
 */
async function loadHistory(page) {
  const asked = ++historyAsked;
  const history = await Api.call('GET', 'me/transactions?size=' + HISTORY_SIZE + '&page=' + page);
  if (asked !== historyAsked) return; // a later page was asked for meanwhile (a double tap): it is the one shown
  const moved = historyTotal !== null && history.total !== historyTotal;
  const items = moved ? history.items.filter(line => !historyShown.has(line.entryId)) : history.items;
  const passed = history.items.length - items.length;
  // Every entry of the page was shown already (many new ones): the next page.
  if (!items.length && passed && (page + 1) * history.size < history.total) return loadHistory(page + 1);
  // The total and the entries shown are kept once the page is drawn: a page that failed leaves them as they were.
  historyTotal = history.total;
  if (moved) Api.call('GET', 'me').then(showSummary).catch(fail);
  historyShown = new Set(items.map(line => line.entryId));
  $('#history').replaceChildren(...items.map(line => el('tr', { 'data-entry': line.entryId },
    el('td', {}, el('time', { datetime: line.recordedAt }, when(line.recordedAt, zone))), el('td', {}, label(line), ...detail(line)), el('td', { class: 'num' }, (line.points > 0 ? '+' : '') + fmt(line.points)))));
  pager('#history-pages', history, next => loadHistory(next).catch(fail), passed);
}

/** An offer's last valid day in the programme's calendar: expiresAt is the exclusive end, the midnight after it. */
function lastDay(expiresAt) {
  return dayIn(Date.parse(expiresAt) - 1, zone);
}

function label(line) {
  const names = { EARN: 'Purchase', REDEEM: 'Points spent', RETURN_REVERSAL: 'Return', EXPIRY: 'Expired', ADJUSTMENT: 'Adjustment', MERGE_TRANSFER: 'Accounts merged', TIER_CHANGE: 'Tier change' };
  const tier = line.kind === 'TIER_CHANGE' ? ' · ' + (line.reference || '').replace('->', ' to ') : '';
  // A cancelled redemption gives its points back as a REDEEM entry of the opposite sign.
  const claim = line.kind === 'ADJUSTMENT' && (line.reference || '').startsWith('c-');
  const name = line.kind === 'REDEEM' && line.points > 0 ? 'Points given back' : claim ? 'Missing points' : (names[line.kind] || line.kind);
  return name + (line.storeId ? ' · ' + (storeNames.get(line.storeId) || line.storeId) : '') + tier;
}

/**
 * What the entry is about, under its label: the reason (an adjustment's, the reward spent on), the receipt, the return.
 * The history is in the order the points moved (recordedAt); a purchase credited on a later day (a till that was
 * offline, a claim approved) says the day it was made.
 */
function detail(line) {
  const parts = [];
  const credited = line.kind === 'EARN' || (line.kind === 'ADJUSTMENT' && (line.reference || '').startsWith('c-'));
  if (credited && line.occurredAt && dayIn(line.occurredAt, zone) !== dayIn(line.recordedAt, zone)) {
    parts.push('purchase of ' + new Date(line.occurredAt).toLocaleDateString('en-GB', { dateStyle: 'medium', timeZone: zone || undefined }));
  }
  if (line.reason) parts.push(told(line));
  if (line.receiptId && !(line.reason || '').includes(line.receiptId)) parts.push('receipt ' + line.receiptId);
  // A redemption's reference is the engine's own id (d-…): its reason names the reward and the receipt.
  if (line.reference && line.kind !== 'TIER_CHANGE' && line.kind !== 'REDEEM' && line.kind !== 'MERGE_TRANSFER' && !(line.reason || '').includes(line.reference)) {
    const what = { RETURN_REVERSAL: 'return ', MERGE_TRANSFER: 'from member ', ADJUSTMENT: 'claim ' }[line.kind];
    parts.push((what || '') + line.reference);
  }
  return parts.length ? [el('div', { class: 'muted' }, parts.join(' · '))] : [];
}

/**
 * An entry's reason as a customer reads it: without the engine's codes (a reward's code, the rule version, the
 * accounts' ids of a merge) and with a day as the rest of the page writes it.
 */
function told(line) {
  const reason = line.reason;
  if (line.kind === 'MERGE_TRANSFER') return 'the points of another account of yours, joined to this one';
  // Only the texts the engine writes: a reason typed by staff is shown as typed.
  if (line.kind === 'REDEEM') return reason.replace(/ \(reward [^)]+\)(?=, receipt |$)/, '');
  if (line.kind === 'TIER_CHANGE' && reason.startsWith('Upgraded from ')) return reason.replace(/ \([A-Z0-9_-]+ v\d+\)$/, '');
  if (line.kind === 'RETURN_REVERSAL') return reason.replace(/ of (\d{4}-\d{2}-\d{2}) \d{2}:\d{2}\b/, (all, day) => ' of ' + dayText(day));
  return reason;
}

/**
 * The card's barcode in the format chosen. A card replaced or blocked since the page loaded is refused (409): the
 * page says why beside the card and reloads the account once, to show the card now in use (or none).
 */
async function showCard(reloaded) {
  // No card to show: no image at all (not a broken one), and where to get a card.
  const none = () => { $('#card-image').removeAttribute('src'); $('#card-image').classList.add('hidden'); };
  if (!cardNumber) {
    none();
    $('#card-number').textContent = 'No active card: the service desk gives you a new one, with your points';
    return;
  }
  try {
    $('#card-image').src = await Api.blob('me/card.png?format=' + cardFormat + '&card=' + encodeURIComponent(cardNumber));
    $('#card-image').classList.remove('hidden');
  } catch (e) {
    none();
    if (e.sessionEnded) return;
    // A card replaced or blocked (409): a warning, the card now in use shown next.
    say('#card-message', e.message, e.status === 409 ? 'warn' : 'error');
    if (e.status === 409 && !reloaded) await load(true).catch(fail);
  }
}

/** The session ended (401): back to the sign-in form, the account's data hidden. */
function signedOut() {
  $('#account').classList.add('hidden');
  $('#sign-out').classList.add('hidden');
  $('#sign-in').classList.remove('hidden');
  $('#password').value = '';
  clearPasswordForm();
  show('#message', 'Your session has ended: sign in again', 'error');
}

// A session that ended has said so already (signedOut). A form's error is said beside it (box), in view.
// The message is brought into view: on a phone the top of the page is often scrolled away.
function fail(error, box) { if (!error.sessionEnded) say(box || '#message', plain(error), 'error'); }

/**
 * An error's message in the page's words: a field the engine names ("newPassword must not be blank") by the label
 * of its input, and the end of a lock in the programme's (or, before signing in, the browser's) time.
 */
function plain(error) {
  let text = error.message;
  const field = error.body && error.body.field;
  if (field && text.startsWith(field + ' ')) text = (FIELD_LABELS[field] || field) + text.substring(field.length);
  return text.replace(/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC/, (all, day, time) => when(day + 'T' + time + ':00Z', zone));
}
const FIELD_LABELS = { password: 'The password', newPassword: 'The new password', currentPassword: 'The current password',
  birthDate: 'The birth date', email: 'The email address', firstName: 'The first name', lastName: 'The last name',
  receiptId: 'The receipt number', total: 'The total', occurredAt: 'The date of the purchase', storeId: 'The store', code: 'The code' };

/** An amount as typed, "25,50" (a decimal comma, as in France) or "25.50", as the API reads it: "25.50". */
function amount(typed) {
  // As a receipt prints it: "25,50", "1.234,50", "1,234.50", "€ 12.90", "12.90 EUR".
  let text = typed.replace(/[\s\u00a0]|€|\$|£|EUR|USD|GBP|CHF/gi, '');
  if (/^[0-9]{1,3}(\.[0-9]{3})+,[0-9]{1,2}$/.test(text)) text = text.replace(/\./g, '');
  if (/^[0-9]{1,3}(,[0-9]{3})+\.[0-9]{1,2}$/.test(text)) text = text.replace(/,/g, '');
  if (/^[0-9]*,[0-9]{1,2}$/.test(text)) text = text.replace(',', '.');
  if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(text)) {
    throw new Error('Type the total as the receipt shows it, such as 25.50 (not "' + typed.trim() + '")');
  }
  return text;
}

document.addEventListener('DOMContentLoaded', () => {
  Api.onSignedOut = signedOut;
  $('#sign-in-form').addEventListener('submit', async event => {
    event.preventDefault();
    await once($('#sign-in-button'), async () => {
      try { await Api.signIn($('#email').value, $('#password').value); show('#message', 'Signed in', 'ok'); await load(); } catch (e) { fail(e); }
    });
  });
  $('#show-register').addEventListener('click', () => {
    const open = !$('#register-form').classList.toggle('hidden');
    $('#show-register').setAttribute('aria-expanded', open);
    if (open) $('#r-first').focus();
  });
  $('#show-reset').addEventListener('click', () => {
    const open = !$('#reset-form').classList.toggle('hidden');
    $('#show-reset').setAttribute('aria-expanded', open);
    $('#x-email').value = $('#x-email').value || $('#email').value;
    if (open) $('#x-email').focus();
  });
  $('#reset-form').addEventListener('submit', async event => {
    event.preventDefault();
    await once($('#reset-button'), async () => {
      try {
        // Typed twice, as the change of password asks: a typo would lock the customer out again.
        if ($('#x-password').value !== $('#x-password2').value) throw new Error('The two new passwords differ: type the same one twice');
        Api.keep(await Api.call('POST', 'auth/password-reset', { email: $('#x-email').value, code: $('#x-code').value, newPassword: $('#x-password').value }));
        $('#reset-form').classList.add('hidden'); $('#reset-form').reset();
        show('#message', 'Your new password is set, and you are signed in', 'ok'); await load();
      } catch (e) { fail(e); }
    });
  });
  $('#register-form').addEventListener('submit', async event => {
    event.preventDefault();
    // Once: a second tap while the first is sent would be told the email is a member's already.
    await once($('#register-button'), async () => {
      try {
        // The programme joined: the site's address names it (account/?programme=NORD); DEMO otherwise.
        const body = { email: $('#r-email').value, password: $('#r-password').value, firstName: $('#r-first').value, lastName: $('#r-last').value };
        const programme = new URLSearchParams(location.search).get('programme');
        if (programme) body.programme = programme.toUpperCase();
        if ($('#r-birth').value) body.birthDate = $('#r-birth').value;
        const card = typedCard($('#r-card').value);
        if (card) body.cardNumber = card;
        const joined = await Api.call('POST', 'auth/register', body);
        sessionStorage.setItem('loyalty.token', joined.session.token);
        $('#register-form').classList.add('hidden');
        say('#message', (body.cardNumber ? 'Welcome! Your card ' : 'Welcome! Your card number is ') + joined.cardNumber + (body.cardNumber ? ' is now online' : ''), 'ok');
        await load();
      } catch (e) { fail(e); }
    });
  });
  $('#sign-out').addEventListener('click', () => logOutAndReload($('#sign-out')));
  $('#show-password').addEventListener('click', () => { $('#password-form').classList.toggle('hidden'); if (!$('#password-form').classList.contains('hidden')) $('#pw-current').focus(); });
  passwordForm('me/password');
  document.querySelectorAll('[data-format]').forEach(b => b.addEventListener('click', async () => {
    cardFormat = b.dataset.format;
    // The format shown is the button pressed.
    document.querySelectorAll('[data-format]').forEach(other => { other.classList.toggle('active', other === b); other.setAttribute('aria-pressed', String(other === b)); });
    clearBox('#card-message');
    await showCard();
  }));
  $('#claim-form').addEventListener('submit', async event => {
    event.preventDefault();
    clearBox('#claim-message');
    await once($('#claim'), async () => {
      try {
        await Api.call('POST', 'me/claims', { storeId: $('#c-store').value, receiptId: $('#c-receipt').value, occurredAt: instantIn($('#c-date').value, zone), total: amount($('#c-total').value) });
        $('#claim-form').reset();
        say('#claim-message', 'Claim sent: we will check the receipt', 'ok');
      } catch (e) { fail(e, '#claim-message'); return; }
      // A reload that fails is said at the top: the claim was sent, and must not look refused.
      await load().catch(e => fail(e));
    });
  });
  $('#download').addEventListener('click', async () => {
    clearBox('#data-message');
    try {
      const link = el('a', { href: await Api.blob('me/export'), download: 'my-loyalty-data.json' }); document.body.append(link); link.click(); link.remove();
      say('#data-message', 'Your data is in my-loyalty-data.json, in your downloads', 'ok');
    } catch (e) { fail(e, '#data-message'); }
  });
  $('#consent-form').addEventListener('submit', async event => {
    event.preventDefault();
    clearBox('#data-message');
    try { await Api.call('PUT', 'me/consents', { email: $('#consent-email').checked, sms: $('#consent-sms').checked, post: $('#consent-post').checked }); say('#data-message', 'Your choices are saved', 'ok'); } catch (e) { fail(e, '#data-message'); }
  });
  $('#close').addEventListener('click', async () => {
    clearBox('#close-message');
    if (!confirm('Close your account for good?')) return;
    await once($('#close'), async () => {
      try {
        await Api.call('POST', 'me/close', { password: $('#close-password').value });
        Api.signOut(); $('#account').classList.add('hidden'); $('#sign-out').classList.add('hidden');
        // The sign-in and join forms again: the page is not left empty.
        $('#sign-in').classList.remove('hidden'); $('#password').value = '';
        say('#message', 'Your account is closed', 'ok');
      } catch (e) { fail(e, '#close-message'); }
    });
  });
  if (Api.signedIn()) load().catch(fail);
});
