package io.membercenter.search;

import org.springframework.context.ApplicationContext;

/**
 * For tests outside this package: stop and start the indexers, which are package-private in the
 * service (no production caller outside search may stop one). Test code only.
 */
public final class Indexing {

    private final SearchIndexers indexers;

    public Indexing(ApplicationContext context) {
        this.indexers = context.getBean(SearchIndexers.class);
    }

    /** Stops every cluster's indexer except the named one's. */
    public void stopAllBut(String cluster) {
        indexers.all().stream()
                .filter(indexer -> !indexer.cluster().equals(cluster))
                .forEach(SearchIndexer::stop);
    }

    public void startAll() {
        indexers.all().forEach(SearchIndexer::start);
    }
}
