// One alias claimed by 50 requests at once, round after round, on every store: one holder, and once held never anybody else's.
import assert from 'node:assert/strict';
import { appStores } from '../support/backends.ts';
import { registerAndLogIn, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

const aliasesSheet = 'adhocracy_ts.sheets.principal.IAliases';
const aliasScope = 'user-alias';
const racers = 50;
const users = 10;
const rounds = Number(process.env.ALIAS_RACE_ROUNDS ?? 8);

const stores = appStores('alias-race', rounds, 2);

const aliasesOf = (handles: string[]) => ({ data: { [aliasesSheet]: { aliases: handles.map((value) => ({ type: 'handle', value, public: true })) } } });

for (const store of stores) {
  describe(`model/aliases racing on ${store.name}`, function () {
    this.timeout(300_000);
    let t: TestApp;
    let cleanUp: () => Promise<void>;
    let people: { path: string; token: string }[];
    before(async () => {
      const prepared = await store.options();
      cleanUp = prepared.cleanUp;
      t = await startTestApp(prepared.options);
      people = [];
      for (let index = 0; index < users; index += 1) people.push(await registerAndLogIn(t.http, `racer ${index}`, `racer${index}@example.org`));
    });
    after(async () => {
      try {
        await t?.close();
      } finally {
        await cleanUp?.();
      }
    });

    const put = (user: { path: string; token: string }, handles: string[]) =>
      t.http.put(new URL(user.path).pathname).set('X-User-Token', user.token).send(aliasesOf(handles));
    const handlesOf = async (userPath: string) =>
      (((await t.app.services.storage.readResource(userPath))?.data[aliasesSheet]?.aliases ?? []) as { value: string }[]).map((alias) => alias.value);

    /** Who holds `handle` in its data; the claim must name exactly that one. */
    async function holdersOf(handle: string): Promise<string[]> {
      const holders: string[] = [];
      for (const user of people) if ((await handlesOf(new URL(user.path).pathname)).includes(handle)) holders.push(new URL(user.path).pathname);
      return holders;
    }

    it(`gives an alias claimed by ${racers} requests at once to one user, and never to another after it is dropped, through ${store.rounds} rounds`, async () => {
      const problems: string[] = [];
      for (let round = 0; round < store.rounds; round += 1) {
        const handle = `Prize${round}`;
        const answers = await Promise.all(Array.from({ length: racers }, (_, index) => put(people[index % users] as (typeof people)[number], [handle.toLowerCase()])));
        const winners = new Set<string>();
        for (const [index, answer] of answers.entries()) {
          const user = new URL((people[index % users] as (typeof people)[number]).path).pathname;
          if (answer.status === 200) winners.add(user);
          else if (answer.status === 400) {
            if (answer.body.errors?.[0]?.name !== `data.${aliasesSheet}.aliases.0`) problems.push(`round ${round}: ${answer.text}`);
          } else if (answer.status !== 409) problems.push(`round ${round}: ${answer.status} ${answer.text}`);
        }
        const holders = await holdersOf(handle.toLowerCase());
        const claim = await t.app.services.storage.readUniqueClaim(aliasScope, `handle:${handle.toLowerCase()}`);
        if (holders.length !== 1) problems.push(`round ${round}: held by ${holders.length} users`);
        if (winners.size !== 1) problems.push(`round ${round}: ${winners.size} users were told they have it`);
        if (claim?.owner !== holders[0]) problems.push(`round ${round}: claimed by ${claim?.owner ?? 'nobody'}, held by ${holders[0]}`);
        // The holder drops it while everybody else tries again: it stays the holder's.
        const holder = people.find((user) => new URL(user.path).pathname === holders[0]) as (typeof people)[number];
        const others = people.filter((user) => user !== holder);
        const second = await Promise.all([put(holder, []), ...Array.from({ length: racers - 1 }, (_, index) => put(others[index % others.length] as (typeof people)[number], [handle]))]);
        for (const answer of second.slice(1)) if (answer.status !== 400 && answer.status !== 409) problems.push(`round ${round}, dropped: ${answer.status} ${answer.text}`);
        if ((await holdersOf(handle.toLowerCase())).length + (await holdersOf(handle)).length !== 0) problems.push(`round ${round}: taken after it was dropped`);
        const kept = await t.app.services.storage.readUniqueClaim(aliasScope, `handle:${handle.toLowerCase()}`);
        if (kept?.owner !== holders[0]) problems.push(`round ${round}: the dropped alias is claimed by ${kept?.owner ?? 'nobody'}`);
      }
      assert.deepEqual(problems, []);
    });

    it(`registers one of ${racers} users claiming one alias at once`, async () => {
      const body = (index: number) => {
        const registration = registrationBody(`claimant ${index}`, `claimant${index}@example.org`) as { data: Record<string, unknown> };
        return { ...registration, data: { ...registration.data, [aliasesSheet]: { aliases: [{ type: 'email', value: index % 2 ? 'Shared@Example.org' : 'shared@example.org' }] } } };
      };
      const answers = await Promise.all(Array.from({ length: racers }, (_, index) => t.http.post('/principals/users').send(body(index))));
      const statuses = answers.map((answer) => answer.status);
      assert.equal(statuses.filter((status) => status === 200).length, 1, statuses.join(' '));
      assert.equal(statuses.filter((status) => status === 400).length, racers - 1);
      const winner = new URL((answers.find((answer) => answer.status === 200)?.body as { path: string }).path).pathname;
      assert.equal((await t.app.services.storage.readUniqueClaim(aliasScope, 'email:shared@example.org'))?.owner, winner);
    });
  });
}
