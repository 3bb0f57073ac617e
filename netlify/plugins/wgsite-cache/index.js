// Netlify builds every deploy in a fresh clone, so without this each build is cold.
// Before the build, bring back what the last one left; after it, keep it for the next:
//   .wgsite-cache  converted Markdown, resized images and the search index, each filed
//                  under a hash of what it was made from (never a path or a time stamp)
//   public         the last output: the render memo in .wgsite-cache takes an unchanged
//                  page's bytes from here, after checking them against their SHA-256
// Nothing is trusted: an entry that does not match is made again. To start cold,
// choose "Clear cache and deploy site" on Netlify. No dependencies: Netlify passes
// its cache utilities in `utils`.
const PATHS = [".wgsite-cache", "public"];

async function each(paths, step) {
  const done = [];
  for (const path of paths) {
    if (await step(path)) done.push(path);
  }
  return done;
}

module.exports = {
  async onPreBuild({ utils }) {
    const restored = await each(PATHS, (path) => utils.cache.restore(path));
    console.log(`wgsite-cache: restored ${restored.join(" and ") || "nothing (a cold build)"}`);
  },
  async onPostBuild({ utils }) {
    const saved = await each(PATHS, (path) => utils.cache.save(path));
    console.log(`wgsite-cache: saved ${saved.join(" and ") || "nothing"}`);
  },
};
