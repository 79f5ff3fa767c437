import { z } from 'zod';

// Imported first by main.tsx, before any schema is built: zod would otherwise probe for eval (new Function) to
// compile its parsers when the contracts' schemas are created; the CSP forbids eval and Chromium logs the refusal.
z.config({ jitless: true });
