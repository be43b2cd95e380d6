/** The waiting-room display's page (`/display`): only the display screen and its styles. */
import { matchPath, usePathname } from '../components/router.js';
import { DisplayScreen } from '../screens/display/display-screen.js';
import { boot, ToStartPage } from './boot.js';
import '../ui/base.css';

function DisplayApp() {
  const path = usePathname();
  return matchPath('/display', path) ? <DisplayScreen /> : <ToStartPage />;
}

boot('display', <DisplayApp />);
