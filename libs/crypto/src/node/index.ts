/** Node-only adapters for @panah/crypto (never imported by the browser-safe core). */
export { nodeAttachmentEncryptor, nodeAttachmentDecryptor } from './attachment-streams';
