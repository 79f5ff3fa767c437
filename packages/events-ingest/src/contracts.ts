export * from '@pbx/contracts/calls';
