import { Button, Center } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface LoadMoreButtonProps {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

export function LoadMoreButton({ hasMore, loading, onLoadMore }: LoadMoreButtonProps) {
  const { t } = useTranslation();
  if (!hasMore) return null;
  return (
    <Center mt="sm">
      <Button variant="default" onClick={onLoadMore} loading={loading} data-testid="load-more">
        {t('common.loadMore')}
      </Button>
    </Center>
  );
}
