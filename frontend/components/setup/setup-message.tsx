import type { ConfigProblem } from '@/lib/config';
import { DEPLOY_COMMAND, SANDBOX_COMMAND } from '@/lib/setup-commands';
import styles from './setup-message.module.css';

/** Shown instead of a page when the outputs file is missing or unusable: never a blank screen. */
export function SetupMessage({ problem }: { problem: ConfigProblem }) {
  return (
    <section className={styles.panel} aria-labelledby="setup-title">
      <p className={styles.eyebrow}>Setup needed</p>
      <h1 id="setup-title">{problem.summary}</h1>
      <p>The app reads the AWS resources it uses from an outputs file. What is wrong with it:</p>
      <ul className={styles.details}>
        {problem.details.map((detail) => (
          <li key={detail}>{detail}</li>
        ))}
      </ul>
      <div className={styles.options}>
        <div className={styles.option}>
          <h3>Try it locally, no AWS account</h3>
          <p>From the repository root, start the sandbox and the app together:</p>
          <code className={styles.command}>{SANDBOX_COMMAND}</code>
        </div>
        <div className={styles.option}>
          <h3>Use your AWS deployment</h3>
          <p>Deploy the stacks and write their outputs, then reload this page:</p>
          <code className={styles.command}>{DEPLOY_COMMAND}</code>
        </div>
      </div>
      <p>
        Or set <code>APP_OUTPUTS_FILE</code> to the path of an outputs file. The page picks up the file as
        soon as it exists; no restart needed.
      </p>
    </section>
  );
}
