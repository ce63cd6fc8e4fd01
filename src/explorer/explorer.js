// The explorer page: log in, walk the tree by the URLs the API answers, edit and create with forms from /meta_api and OPTIONS.
import { ApiError, learnPublicRoot, logIn, logOut, readSession, request, toTreePath } from './api.js';
import { clearErrors, createElement, createSheetFieldsets, readSheetData, showErrors } from './forms.js';

const findById = (id) => document.getElementById(id);
let metaApi;

/** The tree path shown: the page's hash, `#/park/`, so that links, reloads and the back button work. */
const readCurrentPath = () => decodeURIComponent(window.location.hash.slice(1)) || '/';

function createLink(url, text) {
  const treePath = toTreePath(url);
  return createElement('a', { href: `#${treePath}`, text: text ?? treePath, 'data-path': treePath });
}

const isResourceUrl = (value) => typeof value === 'string' && /^https?:\/\//.test(value) && value.endsWith('/');

/** A sheet's value as text, with every reference to another resource a link to it. */
function renderValue(value) {
  if (isResourceUrl(value)) return createLink(value);
  if (Array.isArray(value) && value.every(isResourceUrl)) return createElement('span', {}, ...value.flatMap((url) => [createLink(url), ' ']));
  return createElement('span', { class: 'mono', text: typeof value === 'string' ? value : JSON.stringify(value) });
}

function renderSheets(data) {
  return Object.entries(data).map(([sheetId, fields]) =>
    createElement(
      'section',
      { 'data-sheet': sheetId },
      createElement('h3', { text: sheetId }),
      createElement('dl', { class: 'sheet' }, ...Object.entries(fields).flatMap(([name, value]) => [createElement('dt', { text: name }), createElement('dd', { 'data-field': name }, renderValue(value))])),
    ),
  );
}

function renderBreadcrumbs(treePath) {
  const parts = treePath.split('/').filter(Boolean);
  const crumbs = [createElement('a', { href: '#/', text: 'root' })];
  parts.forEach((part, index) => crumbs.push(' / ', createElement('a', { href: `#/${parts.slice(0, index + 1).join('/')}/`, text: part })));
  findById('breadcrumbs').replaceChildren(...crumbs);
}

/** A form that sends its sheets with `send`, shows a 400's errors at their fields, and reloads on success. */
function createResourceForm({ title, fieldsets, extra = [], submitLabel, send, name }) {
  const form = createElement(
    'form',
    { 'aria-label': title, 'data-form': name },
    createElement('h2', { text: title }),
    ...extra,
    ...fieldsets,
    createElement('p', { class: 'error', 'data-error-for': 'form', role: 'alert' }),
    createElement('button', { type: 'submit', text: submitLabel }),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const answer = await send(form);
      await showResource(answer?.path ? toTreePath(answer.path) : readCurrentPath());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showErrors(form, error.errors);
    }
  });
  return form;
}

function renderEditForm(resource, options) {
  const sheetIds = Object.keys(options.PUT?.request_body?.data ?? {});
  const fieldsets = createSheetFieldsets(metaApi, sheetIds, 'editable', resource.data);
  if (fieldsets.length === 0) return [];
  // Changing a password or an email needs the current password; the API names this header when it is missing.
  const currentPassword = createElement(
    'label',
    {},
    'Current password (for password or email changes) ',
    createElement('input', { type: 'password', name: 'current-password', autocomplete: 'current-password' }),
    createElement('span', { class: 'error', 'data-error-for': 'X-User-Password', role: 'alert' }),
  );
  return [
    createResourceForm({
      title: 'Edit',
      name: 'edit',
      fieldsets,
      extra: [currentPassword],
      submitLabel: 'Save',
      send: (form) => {
        const password = form.elements['current-password'].value;
        return request('PUT', toTreePath(resource.path), {
          body: { data: readSheetData(form, { onlyChanged: true }) },
          headers: password ? { 'X-User-Password': password } : {},
        });
      },
    }),
  ];
}

function renderCreateForm(resource, options) {
  const creatable = options.POST?.request_body ?? [];
  if (creatable.length === 0) return [];
  const select = createElement('select', { name: 'content_type' }, ...creatable.map((stub) => createElement('option', { value: stub.content_type, text: stub.content_type })));
  const holder = createElement('div');
  const showFields = () => {
    const stub = creatable.find((candidate) => candidate.content_type === select.value);
    holder.replaceChildren(...createSheetFieldsets(metaApi, Object.keys(stub?.data ?? {}), 'creatable'));
  };
  select.addEventListener('change', showFields);
  showFields();
  return [
    createResourceForm({
      title: 'Create here',
      name: 'create',
      fieldsets: [holder],
      extra: [createElement('label', {}, 'Type ', select)],
      submitLabel: 'Create',
      send: (form) => request('POST', toTreePath(resource.path), { body: { content_type: select.value, data: readSheetData(form, { onlyChanged: false }) } }),
    }),
  ];
}

async function showResource(treePath) {
  if (readCurrentPath() !== treePath) {
    window.location.hash = treePath; // the hashchange listener shows it
    return;
  }
  renderBreadcrumbs(treePath);
  findById('load-error').textContent = '';
  try {
    const isPool = (type) => metaApi.resources[type]?.sheets.includes('adhocracy_core.sheets.pool.IPool');
    const [resource, options] = await Promise.all([request('GET', treePath), request('OPTIONS', treePath)]);
    const listing = isPool(resource.content_type) ? await request('GET', `${treePath}?elements=paths`) : undefined;
    const elements = listing?.data['adhocracy_core.sheets.pool.IPool']?.elements ?? [];
    findById('resource-type').textContent = resource.content_type;
    findById('resource-path').replaceChildren(createLink(resource.path, resource.path));
    findById('children').replaceChildren(
      ...(listing ? [createElement('h3', { text: `Elements (${elements.length})` }), createElement('ul', {}, ...elements.map((url) => createElement('li', {}, createLink(url))))] : []),
    );
    findById('sheets').replaceChildren(...renderSheets(resource.data));
    findById('edit').replaceChildren(...renderEditForm(resource, options));
    findById('create').replaceChildren(...renderCreateForm(resource, options));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    findById('load-error').textContent = error.message;
    for (const id of ['children', 'sheets', 'edit', 'create']) findById(id).replaceChildren();
  }
}

function showSession() {
  const session = readSession();
  findById('who').replaceChildren(...(session ? ['logged in as ', createLink(session.user)] : ['not logged in']));
  findById('logout').hidden = !session;
  findById('auth').hidden = Boolean(session);
}

function wireAuthForms() {
  const loginForm = findById('login-form');
  loginForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(loginForm);
    try {
      await logIn(loginForm.elements.login.value, loginForm.elements.password.value);
      loginForm.reset();
      showSession();
      await showResource(readCurrentPath());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      loginForm.querySelector('[data-error-for="login"]').textContent = error.errors.map((entry) => entry.description).join('; ');
    }
  });

  const registerForm = findById('register-form');
  registerForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const notice = registerForm.querySelector('[data-notice-for="register"]');
    const slot = registerForm.querySelector('[data-error-for="register"]');
    notice.textContent = '';
    slot.textContent = '';
    const { name, email, password } = registerForm.elements;
    try {
      await request('POST', '/principals/users/', {
        body: {
          content_type: 'adhocracy_core.resources.principal.IUser',
          data: {
            'adhocracy_core.sheets.principal.IUserBasic': { name: name.value },
            'adhocracy_core.sheets.principal.IUserExtended': { email: email.value },
            'adhocracy_core.sheets.principal.IPasswordAuthentication': { password: password.value },
          },
        },
      });
      notice.textContent = `Registered ${name.value}; log in now.`;
      registerForm.reset();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      slot.textContent = error.errors.map((entry) => `${entry.name.split('.').pop()}: ${entry.description}`).join('\n');
    }
  });

  findById('logout').addEventListener('click', async () => {
    await logOut().catch(() => undefined);
    showSession();
    await showResource(readCurrentPath());
  });
}

async function start() {
  wireAuthForms();
  // A token kept from an earlier visit may have expired: the first request then forgets it, the second is anonymous.
  await learnPublicRoot().catch(learnPublicRoot);
  metaApi = await request('GET', '/meta_api');
  showSession();
  window.addEventListener('hashchange', () => void showResource(readCurrentPath()));
  await showResource(readCurrentPath());
  document.body.dataset.ready = 'true';
}

void start();
