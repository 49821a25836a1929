// Stylesheets imported for esbuild, which writes them next to the bundle (dist/webview/wizard.css).
declare module '*.css';
