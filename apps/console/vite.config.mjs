import { webConfig } from '../../libs/web/build/vite-base.mjs';

export default webConfig({ app: 'console', base: '/console/' });
