/** The staff page (`/login`, `/`, `/c/…`): reception, rooms and admin, with the staff stylesheet. */
import { App } from '../app.js';
import { boot } from './boot.js';
import '../ui/base.css';
import '../screens/staff/staff.css';

boot('staff', <App />);
