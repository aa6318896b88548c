/** Renderer entry: connects the API (IPC or WebSocket, whichever this host has) and mounts the app. */
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { connectApi } from './api/index.js';
import App from './App.vue';
import { useAppStore } from './stores/app.js';
import './styles.css';

// Cytoscape injects a <style> element unless one with this id exists; the strict CSP would block it,
// so we mark it present and ship its one rule (position: relative) in styles.css.
const marker = document.createElement('meta');
marker.id = '__________cytoscape_stylesheet';
document.head.append(marker);

const pinia = createPinia();
const app = createApp(App).use(pinia);
connectApi((connected) => {
  useAppStore(pinia).connected = connected;
});
app.mount('#app');
