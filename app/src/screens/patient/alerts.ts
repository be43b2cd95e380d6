/**
 * "It's your turn" on the patient's own phone, while the page is open:
 * vibration, the chime and a system notification. The notification needs
 * permission, asked from a button (never on load); the chime needs a touch
 * first on most phones, which that same button provides.
 */
import { webOutput } from '../../announce/web-output.js';
import type { AnnounceOutput } from '../../announce/types.js';

export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported';

export function notifyPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export interface PatientAlerts {
  /** From a button: unlocks sound and asks for notification permission. */
  enable(): Promise<NotifyPermission>;
  alert(title: string, body: string): void;
  destroy(): void;
}

export function createPatientAlerts(): PatientAlerts {
  let output: AnnounceOutput | null = null;
  const sound = () => (output ??= webOutput({ volume: 0.8 }));
  return {
    async enable() {
      await sound().unlock();
      navigator.vibrate?.(80);
      if (typeof Notification === 'undefined') return 'unsupported';
      if (Notification.permission !== 'default') return Notification.permission;
      try {
        return await Notification.requestPermission();
      } catch {
        return notifyPermission();
      }
    },
    alert(title, body) {
      try {
        navigator.vibrate?.([400, 200, 400, 200, 400]);
      } catch {
        // Some browsers throw without a prior user gesture.
      }
      void sound().chime();
      if (notifyPermission() !== 'granted') return;
      const options: NotificationOptions = {
        body,
        tag: 'queuemed-turn',
        requireInteraction: true,
        // The service worker focuses this page when the notification is tapped.
        data: { url: location.pathname },
      };
      // Android Chrome only shows notifications through a service worker registration.
      const viaWorker = navigator.serviceWorker?.getRegistration?.().then((reg) => {
        if (!reg) throw new Error('no service worker');
        return reg.showNotification(title, options);
      });
      (viaWorker ?? Promise.reject(new Error('no service worker'))).catch(() => {
        try {
          new Notification(title, options);
        } catch {
          // No way to notify: the page itself shows it big.
        }
      });
    },
    destroy() {
      output?.destroy();
      output = null;
    },
  };
}
