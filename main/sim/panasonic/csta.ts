// The simulator's one door to the CSTA codec: its public face (main/protocols/csta/index.ts).
export * from '../../protocols/csta';
