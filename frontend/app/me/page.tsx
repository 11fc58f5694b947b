import { AccountApp } from '@/components/account/account-app';

export default function MePage() {
  return <AccountApp />;
}
