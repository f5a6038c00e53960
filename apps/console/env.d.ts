// Build-time constants of the web clients (libs/web/build/vite-base.mjs, console).
/** The organisation root key (b64u Ed25519) pinned at build time; '' if the build had none. */
declare const __PANAH_ROOT_PUBLIC_KEY__: string;
declare module '*.css';
