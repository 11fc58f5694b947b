/** The AWS partition and URL suffix of a region, as the AWS::Partition and AWS::URLSuffix pseudo parameters give them. */
export function partitionOf(region: string): { readonly partition: string; readonly urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}
