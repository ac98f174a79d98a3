/** A one-line progress bar on a terminal, plain lines otherwise (CI logs, pipes). */
export function progressLine(label: string, done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  let last = '';
  return {
    update(line: string) {
      if (line === last) return;
      last = line;
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}`);
      else stream.write(`${line}\n`);
    },
    done() {
      if (stream.isTTY && last) stream.write('\n');
    },
  };
}
