"""VK Ads connector tests (a package, so pytest names them vk_ads.*, not connectors.vk_ads.*)."""
