// Scores CVSS vectors with ae-cvss-calculator (an independent implementation) for Warden's oracle test.
// Input: one vector per line on stdin. Output: "vector<TAB>base score" lines.
const { Cvss3P1, Cvss3P0, Cvss4P0 } = require('ae-cvss-calculator');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(l => l.trim());
for (const v of lines) {
  const cls = v.startsWith('CVSS:4.0') ? Cvss4P0 : v.startsWith('CVSS:3.0') ? Cvss3P0 : Cvss3P1;
  const s = new cls(v).calculateScores();
  console.log(v + '\t' + (v.startsWith("CVSS:4.0") ? s.overall : s.base));
}
