/** The patient's page (`/join/…`, `/ticket/…`): the join and ticket screens and their styles only. */
import { matchPath, usePathname } from '../components/router.js';
import { JoinScreen } from '../screens/patient/join-screen.js';
import { TicketScreen } from '../screens/patient/ticket-screen.js';
import { boot, ToStartPage } from './boot.js';
import '../ui/base.css';

function PatientApp() {
  const path = usePathname();
  let m: Record<string, string> | null;
  // The printed poster's link: the same join page; the server knows the secret's kind.
  if ((m = matchPath('/join/p/:secret', path))) return <JoinScreen secret={m.secret!} />;
  if ((m = matchPath('/join/:secret', path))) return <JoinScreen secret={m.secret!} />;
  if ((m = matchPath('/ticket/:clinicId/:entryId', path)))
    return <TicketScreen clinicId={m.clinicId!} entryId={m.entryId!} />;
  return <ToStartPage />;
}

boot('patient', <PatientApp />);
