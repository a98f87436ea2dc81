// The simulator's one door to the CSTA codec: its public face (main/protocols/csta-ber/index.ts).
export * from '../../protocols/csta-ber';
