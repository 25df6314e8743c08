"""Map building: the catalog's layers drawn as self-contained, reproducible Leaflet maps via folium."""
