// Trims what a page downloads before it is shown (issue 19, Lighthouse on a phone): Material's main
// stylesheet loses the rules that no page and no script of this site can use (npm `purgecss`), our
// stylesheet (assets/stylesheets/site.css) and our scripts lose their comments and spaces (npm
// `lightningcss`, `esbuild`; licence comments /*! … */ are kept). Called by scripts/site/trim_assets.py
// after every build; reads one JSON job from stdin, rewrites the files it names, writes one JSON
// answer to stdout. No CSS or JavaScript is parsed or matched here by our own code.
//
// Input:  {"material": "/abs/…/main.x.min.css", "material_out": "/abs/…/main.trimmed.css",
//          "content": ["/abs/site/**/*.html", …], "safelist": ["regexp", …],
//          "css": ["/abs/…/site.css"], "js": ["/abs/…/reader.js", …]}
// Output: {"bytes": {"/abs/path": [before, after], …}}, or {"refused": {"file", "line", "message"}} for a
//         file the minifier cannot read (a syntax error): the build stops and says where.
//
// What counts as used (purgecss's default extractor): every word of every page and of every script the
// site ships, Material's bundle among them, so the classes its scripts add (search results, tooltips,
// dialogs) are kept as the pages' are. Keyframes, custom properties and font faces are kept whole.
"use strict";
const fs = require("fs");
const { PurgeCSS } = require("purgecss");
const { transform } = require("lightningcss");
const esbuild = require("esbuild");

async function main() {
  const job = JSON.parse(fs.readFileSync(0, "utf8"));
  const bytes = {};
  const material = fs.readFileSync(job.material, "utf8");
  const [purged] = await new PurgeCSS().purge({
    content: job.content,
    css: [{ raw: material }],
    safelist: { greedy: job.safelist.map((p) => new RegExp(p)) },
  });
  fs.writeFileSync(job.material_out, purged.css);
  bytes[job.material] = [Buffer.byteLength(material), Buffer.byteLength(purged.css)];
  for (const file of job.css) {
    const code = fs.readFileSync(file);
    let out;
    try {
      out = transform({ filename: file, code, minify: true, sourceMap: false, errorRecovery: false }).code;
    } catch (err) {
      return refuse(file, err.loc ? err.loc.line : null, err.message);
    }
    fs.writeFileSync(file, out);
    bytes[file] = [code.length, out.length];
  }
  for (const file of job.js) {
    const code = fs.readFileSync(file, "utf8");
    let out;
    try {
      // no output format: each file stays a classic script, its top-level names as written
      out = esbuild.transformSync(code, { minify: true, legalComments: "inline", charset: "utf8",
                                          target: "es2017", loader: "js", sourcefile: file, logLevel: "silent" }).code;
    } catch (err) {
      const first = (err.errors || [])[0] || {};
      return refuse(file, first.location ? first.location.line : null, first.text || err.message);
    }
    fs.writeFileSync(file, out);
    bytes[file] = [Buffer.byteLength(code), Buffer.byteLength(out)];
  }
  process.stdout.write(JSON.stringify({ bytes }));
}

// A file the tools cannot read: said in the answer (file, line, message), the files before it trimmed.
function refuse(file, line, message) {
  process.stdout.write(JSON.stringify({ refused: { file, line, message: String(message).split("\n")[0] } }));
}

main().catch((err) => {
  process.stderr.write(`Error: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
