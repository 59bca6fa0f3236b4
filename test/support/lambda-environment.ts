import { STACK_ENV, stackInfo } from './stack-info';

// Handler tests import handlers in process: give them the environment the local stack's Lambdas have.
if (process.env[STACK_ENV]) Object.assign(process.env, stackInfo().lambdaEnvironment);
