/** `promise`'s value, or undefined once `deadline` (epoch ms) passes. */
export async function withDeadline<T>(
  promise: Promise<T>,
  deadline: number,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `done` settled before `deadline` (epoch ms). */
export async function settledBy(done: Promise<unknown>, deadline: number): Promise<boolean> {
  return (
    (await withDeadline(
      done.then(() => true),
      deadline,
    )) === true
  );
}
