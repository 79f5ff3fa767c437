import type { IvrMenu, IvrOption } from '@pbx/db';

export type IvrMenuWithOptions = IvrMenu & { options: IvrOption[] };
export const withOptions = { options: { orderBy: { digits: 'asc' } } } as const;
