import Engine from 'publicodes';
import { readFileSync } from 'node:fs';
import { buildRules } from './model.mjs';
const lines = readFileSync('/tmp/lks_in.tsv','utf8').trim().split('\n').slice(1, 1001);
const exp = readFileSync('/tmp/lks_exp.txt','utf8').trim().split('\n').map(Number);
const sits = lines.map(l => { const [p,lw,u,v,a,f] = l.split('\t'); const [y,m,d]=p.split('-'); const s={peildatum:`${d}/${m}/${y}`, loonwaarde:+lw, uren:+u, voltijduren:+v, forfaitair: f==='1'?'oui':'non'}; if(a!=='') s.leeftijd=+a; return s;});
function bench(name, rules) {
  const e = new Engine(rules);
  let bad=0; const t0=performance.now();
  sits.forEach((s,i)=>{ e.setSituation(s); if (e.evaluate('lks . totaal').nodeValue!==exp[i]) bad++; });
  const t=performance.now()-t0; console.log(name, Math.round(sits.length/t*1000), '/s bad', bad);
}
bench('base0', buildRules()); bench('base', buildRules());
const noSinon = (r) => { for (const k of ['tabel . wml','tabel . volledige leeftijd','tabel . opslag']) { const v=r[k].variations; v.pop(); const last=v.pop(); v.push({sinon: last.alors}); } return r; };
bench('noSinonNon', noSinon(buildRules()));
const noApp = (r) => { delete r.lks['applicable si']; return r; };
bench('noApplicable', noApp(buildRules()));
bench('both', noApp(noSinon(buildRules())));
{
  const e = new Engine(buildRules());
  let t0=performance.now(); sits.forEach(s=>e.setSituation(s)); let t1=performance.now();
  console.log('setSituation only', Math.round(sits.length/(t1-t0)*1000));
  t0=performance.now(); sits.forEach(s=>{e.setSituation(s); e.evaluate('lks . totaal')}); t1=performance.now();
  console.log('set+eval', Math.round(sits.length/(t1-t0)*1000));
  e.setSituation(sits[0]);
  t0=performance.now(); for (let i=0;i<1000;i++){ e.resetCache(); e.evaluate('lks . totaal')} t1=performance.now();
  console.log('eval only (resetCache)', Math.round(1000/(t1-t0)*1000));
  const e2 = new Engine({a:{valeur:'x * 2'}, x:{}});
  t0=performance.now(); for (let i=0;i<1000;i++){ e2.setSituation({x:i}); e2.evaluate('a')} t1=performance.now();
  console.log('trivial model', Math.round(1000/(t1-t0)*1000));
}
