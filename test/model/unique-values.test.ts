// How unique values are compared: names by the confusable skeleton of their case-folded NFKC form.
import assert from 'node:assert/strict';
import { migrateUniqueKeys } from '../../src/bootstrap.ts';
import { silentLogger } from '../../src/log.ts';
import { normalizeUnique } from '../../src/model/unique-values.ts';
import { registerAndLogIn, registrationBody, startTestApp } from '../support/test-app.ts';

describe('model/unique values: normalization', () => {
  const key = (value: string) => normalizeUnique(value, 'skeleton');

  it('gives names that look alike one key', () => {
    const groups = [
      ['root', 'ROOT', 'r\u043e\u043et', 'R\u041e\u041eT', 'r\u03bf\u03bft', '\u{1d42b}\u{1d428}\u{1d428}\u{1d42d}', 'ｒｏｏｔ', 'ro\u200bot'],
      ['Anna Müller', 'anna müller', 'Anna Mu\u0308ller', 'ＡＮＮＡ ＭÜＬＬＥＲ', '\u0410nn\u0430 Müller', 'Anna\u00a0Müller'],
      ['Straße', 'STRASSE', 'strasse'],
      ['carmen', 'carrnen'],
      ['Moritz', 'M\u043eritz', 'MORITZ', 'M\u041eRITZ'],
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

describe('model/unique values: stores of an earlier version', () => {
  it('finds users by the names they were claimed under, and claims them under today\'s keys once', async () => {
    const t = await startTestApp();
    try {
      const { storage } = t.app.services;
      const moritz = new URL((await registerAndLogIn(t.http, 'Moritz')).path).pathname;
      // What an earlier version stored: the name claimed under its case-folded NFKC form, no marker.
      await storage.releaseUnique({ scope: 'user-name', key: normalizeUnique('Moritz', 'skeleton'), owner: moritz });
      await storage.claimUnique({ scope: 'user-name', key: 'moritz', owner: moritz, claimedAt: 0 });
      await storage.updateRecord('settings:unique-keys', () => undefined);

      await t.http.post('/login_username').send({ name: 'MORITZ', password: 'EckVocUbs3' }).expect(200);
      await migrateUniqueKeys({ storage, resources: t.app.services.resources, log: silentLogger });
      assert.equal((await storage.readUniqueClaim('user-name', normalizeUnique('Moritz', 'skeleton')))?.owner, moritz);
      await t.http.post('/login_username').send({ name: 'Moritz', password: 'EckVocUbs3' }).expect(200);
      const lookAlike = await t.http.post('/principals/users').send(registrationBody('M\u043eritz', 'other@example.org')).expect(400);
      assert.equal(lookAlike.body.errors[0].code, 'not_unique');
      assert.equal((await storage.readRecord('settings:unique-keys'))?.value, 2);
    } finally {
      await t.close();
    }
  });
});
