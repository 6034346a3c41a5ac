// Preloaded into a carrier process (NODE_OPTIONS=--import …) to write what `node --cpu-prof`
// writes: Node 20 refuses --cpu-prof in NODE_OPTIONS, and the launcher passes no execArgv.
// The in-process inspector answers synchronously, so the profile can be taken in 'exit'.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.ESIMLAB_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
