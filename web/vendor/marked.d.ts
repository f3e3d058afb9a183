// Types of the marked build that `npm run build` copies next to the admin code (dist/web/vendor/marked.js).
export { marked, Marked } from 'marked';
