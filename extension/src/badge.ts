// The toolbar badge of a tab: a colour and a short text per outcome, and a
// tooltip sentence.
import { ext } from './api';
import { t } from './i18n';
import { liveOcspSkipped, type TabState } from './tab-state';

/** The badge's text colour, set rather than left to the browser (which may
 * pick black on some backgrounds): every background below keeps WCAG 2's
 * 4.5:1 contrast with it (extension/tests/badge.test.mjs). */
export const BADGE_TEXT_COLOR = '#ffffff';

interface Look {
  text: string;
  color: string;
  title: string;
}

export function badgeLook(state: TabState): Look {
  switch (state.status) {
    case 'evaluating':
      return { text: '…', color: '#6e7781', title: t('badge_checking') };
    case 'error':
      return { text: 'ERR', color: '#6e7781', title: t('badge_error', state.error ?? '') };
    case 'blocked-by-browser':
      return { text: 'BLK', color: '#cf222e', title: t('badge_browser_blocked', state.browserError?.words ?? '') };
    case 'not-inspected':
      return { text: '', color: '#6e7781', title: t('badge_not_inspected') };
    case 'done':
      break;
  }
  switch (state.verdict?.outcome) {
    case 'accept':
      return { text: 'OK', color: '#1a7f37', title: t('badge_accept') };
    case 'soft-fail-accept':
      return { text: 'SOFT', color: '#9a6700', title: t('badge_soft_fail') };
    case 'block':
      return { text: 'BLK', color: '#cf222e', title: t('badge_block') };
    default:
      return {
        text: '?', color: '#6e7781',
        title: liveOcspSkipped(state)
          ? t('badge_undecided_live_off')
          : t('badge_undecided'),
      };
  }
}

export async function showBadge(state: TabState): Promise<void> {
  const look = badgeLook(state);
  try {
    await ext.action.setBadgeText({ tabId: state.tabId, text: look.text });
    await ext.action.setBadgeBackgroundColor({ tabId: state.tabId, color: look.color });
    await ext.action.setBadgeTextColor({ tabId: state.tabId, color: BADGE_TEXT_COLOR });
    await ext.action.setTitle({ tabId: state.tabId, title: look.title });
  } catch {
    // The tab closed meanwhile: nothing to show.
  }
}
