// The simulated group: its users (user ID, number, extension, name, password, services) and the group admin.

export const SIM_DOMAIN = 'sim.test';
export const SIM_GROUP = { serviceProviderId: 'sp-sim', groupId: 'grp-sim' } as const;
export const MAX_USERS = 5000;
export const FIRST_EXTENSION = 2000;

export interface Services {
  doNotDisturb: { active: boolean; ringSplash: boolean };
  callForwardingAlways: { active: boolean; forwardToPhoneNumber: string; ringSplash: boolean };
  callForwardingBusy: { active: boolean; forwardToPhoneNumber: string };
  callForwardingNoAnswer: { active: boolean; forwardToPhoneNumber: string; numberOfRings: number };
  /** Calls to the user ring at this number instead (a home or mobile phone). */
  remoteOffice: { active: boolean; remoteOfficeNumber: string };
}

export interface SimUser {
  userId: string;
  firstName: string;
  lastName: string;
  number: string;
  extension: string;
  password: string;
  services: Services;
  /** Services the platform has not assigned to the user: their GET and PUT are refused (control API). */
  unassigned: Set<keyof Services>;
}

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hans', 'Ida', 'Jonas', 'Karla', 'Lukas'];
const LAST = ['Schmidt', 'Müller', 'Weber', 'Fischer', 'Wagner', 'Becker', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf'];

function services(): Services {
  return {
    doNotDisturb: { active: false, ringSplash: false },
    callForwardingAlways: { active: false, forwardToPhoneNumber: '', ringSplash: false },
    callForwardingBusy: { active: false, forwardToPhoneNumber: '' },
    callForwardingNoAnswer: { active: false, forwardToPhoneNumber: '', numberOfRings: 3 },
    remoteOffice: { active: false, remoteOfficeNumber: '' },
  };
}

export class SimGroup {
  readonly users: SimUser[];
  private readonly byId = new Map<string, SimUser>();
  readonly admin: { userId: string; password: string };

  constructor(count: number, opts: { adminPassword: string; userPassword: string }) {
    if (!Number.isInteger(count) || count < 1 || count > MAX_USERS) throw new RangeError(`users must be 1-${MAX_USERS}, got ${count}`);
    this.admin = { userId: `admin@${SIM_DOMAIN}`, password: opts.adminPassword };
    this.users = Array.from({ length: count }, (_, i) => {
      const extension = String(FIRST_EXTENSION + i);
      return {
        userId: `${extension}@${SIM_DOMAIN}`,
        firstName: FIRST[i % FIRST.length],
        lastName: LAST[Math.floor(i / FIRST.length) % LAST.length],
        number: `+49305550${extension}`,
        extension,
        password: opts.userPassword,
        services: services(),
        unassigned: new Set<keyof Services>(),
      };
    });
    for (const u of this.users) this.byId.set(u.userId, u);
  }

  user(userId: string): SimUser | undefined {
    return this.byId.get(userId);
  }

  /** The user an address reaches: user ID, number (with or without `tel:`), or extension. */
  route(address: string): SimUser | undefined {
    const a = address.replace(/^(tel|sip):/, '').trim();
    return this.byId.get(a) ?? this.users.find((u) => u.number === a || u.extension === a);
  }

  /** Who may log in with these credentials: a user, the admin, or nobody. */
  login(userId: string, password: string): { kind: 'admin' | 'user'; userId: string } | undefined {
    if (userId === this.admin.userId) return password === this.admin.password ? { kind: 'admin', userId } : undefined;
    const u = this.byId.get(userId);
    return u && u.password === password ? { kind: 'user', userId } : undefined;
  }

  setPassword(userId: string, password: string): boolean {
    if (userId === this.admin.userId) {
      this.admin.password = password;
      return true;
    }
    const u = this.byId.get(userId);
    if (!u) return false;
    u.password = password;
    return true;
  }
}
