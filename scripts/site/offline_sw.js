// Writes the online site's service worker with Workbox's build tool (npm `workbox-build`, generateSW).
//
// Called by scripts/site/offline_save.py after MkDocs, once per online build: reads one JSON job from
// stdin, writes one JSON answer to stdout. No caching logic lives here or in our own JavaScript:
// Workbox's precaching (one cache per build id, every file with its revision hash, install fails
// whole on any error response) does it all.
//
// Input:  {"site": "/abs/site", "globPatterns": [...], "globIgnores": [...], "maximumFileSizeToCacheInBytes": 8388608}
// Output: {"buildId": "3f2a9c0d1e7b", "count": 180, "size": 12345678, "warnings": [],
//          "manifest": [{"url": "index.html", "revision": "…"}]}
//
// The build id is the first 12 hex digits of the sha256 of the precache manifest (every file's path and
// revision): two builds with the same files share an edition (nothing to download again); any change
// of a page, the search index or a script makes a new edition.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { generateSW, getManifest } = require("workbox-build");

async function main() {
  const job = JSON.parse(fs.readFileSync(0, "utf8"));
  const files = {
    globDirectory: job.site,
    globPatterns: job.globPatterns,
    globIgnores: job.globIgnores,
    maximumFileSizeToCacheInBytes: job.maximumFileSizeToCacheInBytes,
  };
  const { manifestEntries } = await getManifest(files);
  const entries = manifestEntries.map(({ url, revision }) => ({ url, revision }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const buildId = crypto.createHash("sha256").update(JSON.stringify(entries)).digest("hex").slice(0, 12);
  const result = await generateSW({
    ...files,
    swDest: path.join(job.site, "sw.js"),
    // One cache per edition: "rfa-<build id>-precache-v2-<scope>". cleanupOutdatedCaches deletes every
    // other edition's precache of this scope when the new worker activates, so an edition is replaced whole.
    cacheId: `rfa-${buildId}`,
    cleanupOutdatedCaches: true,
    // A newer edition waits (installed, in its own cache) until the reader chooses to switch to it
    // (the page posts {type: "SKIP_WAITING"}); the first save controls the open page at once.
    skipWaiting: false,
    clientsClaim: true,
    // Nothing is cached at run time: only the precache of this build is ever served.
    runtimeCaching: undefined,
    navigateFallback: null,
    inlineWorkboxRuntime: true,   // one file, sw.js: nothing else to fetch or to keep in step
    mode: "production",
    sourcemap: false,
    disableDevLogs: true,
  });
  process.stdout.write(JSON.stringify({
    buildId, count: result.count, size: result.size, warnings: result.warnings, manifest: entries,
  }));
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
