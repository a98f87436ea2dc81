// The call model is shared with the other CSTA simulators (main/sim/shared/call-model.ts).
export * from '../shared/call-model';
