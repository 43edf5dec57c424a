// The public dashboard is a web page, without the i18n API: the view modules
// it shares with the extension's dashboard read their words from the
// extension's English messages instead (every extension/locales/en file,
// merged by scripts/build-public.mjs). public.ts imports this module first,
// so the messages are in place before those modules load and read them.
import { useMessages } from '../extension/src/i18n';

declare const ENGLISH_MESSAGES: Record<string, { message: string }>;

useMessages(ENGLISH_MESSAGES);
