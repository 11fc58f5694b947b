import { DEPLOY_COMMAND, SANDBOX_COMMAND } from '@/lib/setup-commands';
import styles from './setup-message.module.css';

/**
 * Shown instead of a page when the outputs file is missing or unusable: never a blank screen.
 * It names no file and no value: visitors never see server paths or configuration (which may hold
 * secrets). The server's terminal gets the details (`lib/config.ts` logs them).
 */
export function SetupMessage() {
  return (
    <section className={styles.panel} aria-labelledby="setup-title">
      <p className={styles.eyebrow}>Setup needed</p>
      <h1 id="setup-title">This site is not set up yet.</h1>
      <p>
        The server could not read the outputs file that names the AWS resources it uses. The server&apos;s
        terminal says which file and what is wrong with it.
      </p>
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
