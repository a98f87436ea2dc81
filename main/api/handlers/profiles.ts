import type { Handlers } from '../registry';
import type { Services } from '../../app/services';

type ProfilesHandlers = Pick<Handlers, 'profiles.list' | 'profiles.import' | 'profiles.export'>;

export function profilesHandlers(s: Services): ProfilesHandlers {
  return {
    'profiles.list': ({ family }) => s.profiles.list(family),
    'profiles.import': ({ family, fileName, text }) => s.profiles.import(family, fileName, text),
    'profiles.export': ({ family }) => s.profiles.export(family),
  };
}
