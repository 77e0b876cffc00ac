/* The entry of the notebook's selector bundle (assets/javascripts/notebook-anchoring.js), built by
   scripts/tools/install_assets.py with esbuild: W3C Web Annotation TextQuoteSelector and
   TextPositionSelector matching from the npm packages dom-anchor-text-quote (fuzzy quote search with
   diff-match-patch) and dom-anchor-text-position, exposed to assets/javascripts/notebook.js as
   window.RFAAnchoring. */
import * as textQuote from "dom-anchor-text-quote";
import * as textPosition from "dom-anchor-text-position";
import DiffMatchPatch from "diff-match-patch";

window.RFAAnchoring = { textQuote: textQuote, textPosition: textPosition, DiffMatchPatch: DiffMatchPatch };
