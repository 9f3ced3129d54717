import Engine from 'publicodes';
import { readFileSync } from 'node:fs';
import { buildRules } from './model.mjs';
const lines = readFileSync('/tmp/lks_in.tsv','utf8').trim().split('\n').slice(1, 3001);
const exp = readFileSync('/tmp/lks_exp.txt','utf8').trim().split('\n').map(Number);
const sits = lines.map(l => { const [p,lw,u,v,a,f] = l.split('\t'); const [y,m,d]=p.split('-'); const s={peildatum:`${d}/${m}/${y}`, loonwaarde:+lw, uren:+u, voltijduren:+v, forfaitair: f==='1'?'oui':'non'}; if(a!=='') s.leeftijd=+a; return s;});
const r = buildRules();
if (process.argv[2] === 'noapp') { delete r.lks['applicable si']; r['tabel . wml'].variations.unshift({si: 'peildatum > 30/06/2026', alors: 'non'}); }
const e = new Engine(r);
for (let k=0;k<500;k++){ e.setSituation(sits[k]); e.evaluate('lks . totaal'); }
let bad=0; const t0=performance.now();
sits.forEach((s,i)=>{ e.setSituation(s); if (e.evaluate('lks . totaal').nodeValue!==exp[i]) bad++; });
console.log(process.argv[2], Math.round(sits.length/(performance.now()-t0)*1000), 'bad', bad);
