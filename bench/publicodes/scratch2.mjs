import Engine from 'publicodes';
import { buildRules } from './model.mjs';
const e = new Engine(buildRules());
for (const [d, a] of [['01/02/2015', undefined], ['01/02/2026', undefined], ['01/02/2015', 17], ['01/02/2026', 17]]) {
  const s = { peildatum: d, loonwaarde: 55.5, uren: 30, voltijduren: 36, forfaitair: 'non' }; if (a) s.leeftijd = a;
  for (let w = 0; w < 300; w++) { e.setSituation(s); e.evaluate('lks . totaal'); }
  const t0 = performance.now(); for (let i = 0; i < 2000; i++) { e.setSituation(s); e.evaluate('lks . totaal'); }
  console.log(d, a, Math.round(2000 / (performance.now() - t0) * 1000));
}
