package io.membercenter.console;

import java.util.List;

/** The stores this deployment has, where they are and whether they are up. */
public interface StoreDirectory {

    /** One store as /admin/topology shows it. */
    record Store(String name, String kind, String dc, String role, boolean up) {}

    List<Store> stores();
}
