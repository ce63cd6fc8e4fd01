// Forms generated from /meta_api's field descriptions, their values as sheet data, and errors shown at the field they name.

/** An element with attributes and children; text is always set as text, never parsed as HTML. */
export function createElement(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== undefined));
  return node;
}

const toShortName = (id) => id.split('.').pop();

/** Shows a value read from a field as text in the input: lists and objects as JSON. */
function showValue(field, value) {
  if (value === undefined || value === null) return '';
  if (field.containertype === 'list' || typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function createInput(field, name, value) {
  const common = { name, 'data-name': name, 'aria-describedby': `error-${name}` };
  if (field.valuetype === 'adhocracy_core.schema.Boolean') return createElement('input', { ...common, type: 'checkbox', checked: value === true });
  if (field.containertype === 'list' || field.valuetype === 'adhocracy_core.schema.Text') return createElement('textarea', { ...common, rows: 3 }, showValue(field, value));
  const type = field.valuetype === 'adhocracy_core.schema.Password' ? 'password' : field.valuetype === 'adhocracy_core.schema.Integer' ? 'number' : 'text';
  return createElement('input', { ...common, type, value: showValue(field, value) });
}

/**
 * One fieldset per sheet with an input per field that `mode` allows (`creatable` or `editable`);
 * `values` fill them in. Each input is named `data.<sheet id>.<field>`, as the API's errors name it.
 */
export function createSheetFieldsets(metaApi, sheetIds, mode, values = {}) {
  return sheetIds.flatMap((sheetId) => {
    const fields = (metaApi.sheets[sheetId]?.fields ?? []).filter((field) => field[mode]);
    if (fields.length === 0) return [];
    return [
      createElement(
        'fieldset',
        { 'data-sheet': sheetId },
        createElement('legend', { text: sheetId }),
        ...fields.map((field) => {
          const name = `data.${sheetId}.${field.name}`;
          const input = createInput(field, name, values[sheetId]?.[field.name]);
          input.dataset.original = input.type === 'checkbox' ? String(input.checked) : input.value;
          const marker = mode === 'creatable' && field.create_mandatory ? ' *' : '';
          return createElement(
            'label',
            {},
            `${field.name}${marker} `,
            createElement('small', { text: toShortName(field.valuetype) }),
            input,
            createElement('span', { class: 'error', id: `error-${name}`, 'data-error-for': name, role: 'alert' }),
          );
        }),
      ),
    ];
  });
}

function readInput(input) {
  if (input.type === 'checkbox') return input.checked;
  if (input.type === 'number') return input.value === '' ? undefined : Number(input.value);
  if (input.tagName === 'TEXTAREA' && /^\s*[[{]/.test(input.value)) {
    try {
      return JSON.parse(input.value);
    } catch {
      return input.value;
    }
  }
  return input.value;
}

/**
 * The sheet data a form holds: with `onlyChanged`, the fields whose value differs from what was shown
 * (an edit sends what changed); otherwise every field that is filled in (a creation).
 */
export function readSheetData(form, { onlyChanged }) {
  const data = {};
  for (const input of form.querySelectorAll('[data-name]')) {
    const current = input.type === 'checkbox' ? String(input.checked) : input.value;
    if (onlyChanged ? current === input.dataset.original : current === '' || (input.type === 'checkbox' && !input.checked)) continue;
    const [, sheetId, field] = /^data\.(.+)\.([^.]+)$/.exec(input.dataset.name) ?? [];
    if (!sheetId) continue;
    data[sheetId] = { ...data[sheetId], [field]: readInput(input) };
  }
  return data;
}

/** Clears what an earlier answer said about a form's fields. */
export function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/**
 * Puts each error of an answer beside the field its `name` names (`data.<sheet>.<field>`, or a header
 * such as X-User-Password); what names no field of the form goes to the form's own error line.
 */
export function showErrors(form, errors) {
  clearErrors(form);
  const general = [];
  for (const error of errors) {
    const slot = [...form.querySelectorAll('[data-error-for]')].find((candidate) => candidate.dataset.errorFor === error.name);
    if (!slot) {
      general.push(`${error.name}: ${error.description}`);
      continue;
    }
    slot.textContent = error.description;
    [...form.querySelectorAll('[data-name]')].find((input) => input.dataset.name === error.name)?.setAttribute('aria-invalid', 'true');
  }
  const formSlot = form.querySelector('[data-error-for="form"]');
  if (formSlot) formSlot.textContent = general.join('\n');
}
