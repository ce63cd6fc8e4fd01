// How unique values are compared: names by the confusable skeleton of their case-folded NFKC form.
import assert from 'node:assert/strict';
import { normalizeUnique } from '../../src/model/unique-values.ts';

describe('model/unique values: normalization', () => {
  const key = (value: string) => normalizeUnique(value, 'skeleton');

  it('gives names that look alike one key', () => {
    const groups = [
      ['root', 'ROOT', 'r\u043e\u043et', 'R\u041e\u041eT', 'r\u03bf\u03bft', '\u{1d42b}\u{1d428}\u{1d428}\u{1d42d}', 'ｒｏｏｔ', 'ro\u200bot'],
      ['Anna Müller', 'anna müller', 'Anna Mu\u0308ller', 'ＡＮＮＡ ＭÜＬＬＥＲ', '\u0410nn\u0430 Müller', 'Anna\u00a0Müller'],
      ['Straße', 'STRASSE', 'strasse'],
      ['carmen', 'carrnen'],
    ];
    for (const group of groups) {
      for (const name of group) assert.equal(key(name), key(group[0] as string), `${JSON.stringify(name)} and ${JSON.stringify(group[0])}`);
    }
  });

  it('keeps names that look different apart', () => {
    const names = ['root', 'rooted', 'roots', 'Anna Müller', 'Anna Muller', 'Bert', 'Bernd', 'admin', 'adm1n2', 'Ελένη', 'Олег', '李明'];
    assert.equal(new Set(names.map(key)).size, names.length);
  });

  it('is stable: the key of a key is the key', () => {
    for (const name of ['root', 'r\u043e\u043et', 'Anna Mu\u0308ller', 'ＡＮＮＡ', 'carmen', 'Ελένη']) assert.equal(key(key(name)), key(name), name);
  });
});
