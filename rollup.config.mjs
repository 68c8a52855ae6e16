// Builds the browser tag: packages/tag/dist/_df.js (a minified IIFE, with any dependency bundled)
// and packages/tag/dist/snippet.html (the paste-in snippet). The other packages are built by `tsc -b`.
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const tag = 'packages/tag';

// The tag's size budget is part of the product: minify as hard as is safe. Property names are kept,
// because the wire format and the browser APIs are made of them. pure_getters holds because the
// tag reads no property for a side effect.
const minify = terser({
  ecma: 2020,
  toplevel: true,
  compress: { passes: 3, unsafe_arrows: true, pure_getters: true },
  format: { comments: false },
});

const compile = () => typescript({ tsconfig: `${tag}/tsconfig.json` });

/** Prints each file's minified and gzipped size (gzip at zlib's default level, as servers serve it). */
const printSizes = () => ({
  name: 'print-sizes',
  writeBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      const text = file.type === 'chunk' ? file.code : String(file.source);
      const bytes = Buffer.byteLength(text);
      console.log(`${tag}/dist/${file.fileName}: ${bytes} B min, ${gzipSync(text).length} B gzip`);
    }
  },
});

/** Turns the minified snippet into dist/snippet.html, a <script> to paste into a page. */
const snippetHtml = () => ({
  name: 'snippet-html',
  generateBundle(_options, bundle) {
    const [chunk] = Object.values(bundle);
    delete bundle[chunk.fileName];
    const source = `<script>${chunk.code.trim().replace(/;$/, '')}</script>`;
    this.emitFile({ type: 'asset', fileName: 'snippet.html', source });
  },
});

export default [
  {
    input: `${tag}/src/tag.ts`,
    plugins: [nodeResolve(), compile()],
    // No 'use strict': 13 bytes the tag does not need (TypeScript already checks what strict mode would).
    output: { file: `${tag}/dist/_df.js`, format: 'iife', strict: false, plugins: [minify, printSizes()] },
  },
  {
    input: `${tag}/src/snippet.ts`,
    plugins: [compile()],
    // The snippet wraps itself; 'es' output adds neither a wrapper nor 'use strict'.
    output: { dir: `${tag}/dist`, format: 'es', plugins: [minify, snippetHtml(), printSizes()] },
  },
];
