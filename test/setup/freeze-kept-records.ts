import { freezeKeptRecords } from '../../src/engine/recent-turns.js';

// Every test that takes turns also checks that nothing changes a record the engine keeps for
// the user's next turn (a frozen object throws where it would have been changed).
freezeKeptRecords();
